"""`python -m sencoplan` runs the same command line as the `sencoplan` script."""

from sencoplan.cli import main

raise SystemExit(main())
