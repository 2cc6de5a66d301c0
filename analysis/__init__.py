"""stakemap: map the stakeholder networks of Thai community development.

The package is a pipeline; each stage is a module, in the order data flows:

read → normalise / places / validate → resolve → network → hats, overlaps, bridges,
coverage, change → advise → render

:func:`analysis.pipeline.run_analysis` chains them. Every stage between reading and
rendering is a pure function of DataFrames and graphs, so a notebook can call any of them alone.
"""

__version__ = "0.1.0"
