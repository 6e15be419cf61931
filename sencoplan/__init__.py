"""sencoplan: plan SEND training from the needs on roll, for SENCOs and their schools."""

from sencoplan._startup import keep_numpy_out_of_sqlite_utils

__version__ = "0.1.0"

keep_numpy_out_of_sqlite_utils()
