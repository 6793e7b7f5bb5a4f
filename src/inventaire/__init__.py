"""inventaire: the stock service of a piano-service company."""

__version__ = "0.1.0"
