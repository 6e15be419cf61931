"""sencoplan: plan SEND training from the needs on roll, for SENCOs and their schools."""

__version__ = "0.1.0"
