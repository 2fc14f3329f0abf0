"""The embedded DuckDB store (store), Parquet partitions written by workers (parts) and exports (export)."""
