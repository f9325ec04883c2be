"""What operators run the store by: health, request ids, structured logs, metrics."""
