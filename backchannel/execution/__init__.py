"""Running a read: the per-batch function every engine calls (batch), the engines (engines) and the driver (runner)."""
