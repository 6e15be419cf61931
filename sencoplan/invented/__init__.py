"""One toolkit for invented schools, used by the sample trust's generator
(sample_data/make_sample_data.py) and the benchmarks' (benchmarks/generate.py): UPNs that
can never be a real child's, names, school dates, the national shares of need, and file
headings checked against the importers' own.

Nothing in the app imports it (a contract in pyproject.toml says so).
"""
