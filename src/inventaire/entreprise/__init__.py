"""The company itself: the name and address its supplier orders (PDF and e-mail) carry."""
