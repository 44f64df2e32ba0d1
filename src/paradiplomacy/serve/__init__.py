"""The local server: the site, content negotiation and the read-only SPARQL endpoint with its worker pool."""
