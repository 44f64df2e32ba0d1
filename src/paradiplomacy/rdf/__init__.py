"""Reading and writing RDF: the source tables and their mappings, loading, links, serialisation, formatting."""
