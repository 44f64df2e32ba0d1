"""The published site: entity pages, the map and charts, dumps, the VoID/DCAT description, content negotiation."""
