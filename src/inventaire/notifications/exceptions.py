"""A failed send, with the French text stored on the delivery and whether trying again may help."""


class DeliveryError(Exception):
    def __init__(self, detail: str, *, retryable: bool = True):
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable
