"""Payment providers at the edge: the router that chooses one, its breaker, and the worker's jobs."""
