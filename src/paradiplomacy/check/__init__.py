"""Checking the graph: the OWL reasoners, SHACL (compiled to SPARQL and run on the store), quotes against their texts."""
