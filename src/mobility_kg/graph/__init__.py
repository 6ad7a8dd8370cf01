"""Records -> RDF graph, and the views of it: export, SHACL, stats, lookup, traversal."""
