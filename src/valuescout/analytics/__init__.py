"""Discount and margin analytics: waterfall, concentration, peer-adjusted outliers."""
