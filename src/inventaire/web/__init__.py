"""Server-rendered pages: the dashboard, the check history, charts, catalogue, the phone page, the ledger."""
