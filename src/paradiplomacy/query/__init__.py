"""Asking the graph: the stored-query catalogue, the Oxigraph engine, parameters, labels, expected answers, remote endpoints."""
