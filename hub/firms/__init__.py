"""Firms that hire near here: La Bonne Boîte's firms, ranked by hiring potential per trade,
harvested around the terminals' areas (client, areas, harvest), stored in the `firms` table,
and given to each terminal whole by `GET /v1/firms` (directory, routes)."""
