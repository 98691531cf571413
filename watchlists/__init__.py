"""Operators' watchlists: the YAML schema, its loader with file:line:column errors, and the vocabularies."""
