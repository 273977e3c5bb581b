"""整改: rectification items from weak indicators and inspection findings."""
