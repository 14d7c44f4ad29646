"""The demo portfolio: a realistic, deterministic set of organizations, systems, projects and budgets.

`mieruka demo` fills an empty database with it so analysts have something true-to-life to explore;
`generator.py` holds the logic and `data.py` the reference data it draws on.
"""
