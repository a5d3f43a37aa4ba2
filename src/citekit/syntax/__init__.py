"""Format grammar only: text ⇄ raw entries. Knows nothing of CSL."""
