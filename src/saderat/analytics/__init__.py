"""Pure analytics: plain functions over numbers, arrays and data frames; no Django, no I/O."""
