"""The registry's pure core (no Django, no file I/O): identifiers with their check digits, the firm-name match
key, and entity resolution of firm records from different agencies."""
