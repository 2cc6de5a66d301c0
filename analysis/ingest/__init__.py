"""Ingest: the pipeline's first stage — read the files, check them against the schema, normalise.

``read`` turns a folder or workbook into raw tables, ``schema`` says what each table holds,
``normalise`` cleans Thai text, dates, numbers and contacts, and ``validate`` checks every row,
quarantining what cannot be used. Only this stage (and the writers) touch input files.
"""
