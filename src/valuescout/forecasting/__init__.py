"""Forecasting: probability methods, win models, outcome distributions, snapshots, accuracy."""
