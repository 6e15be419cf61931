"""The Textual app: a thin layer over the store and the domain."""
