"""The consumption forecast: rates, days of cover, predicted stockouts, and its backtest."""
