"""One module per page; each router uses PageRoute so errors are shown as French pages."""
