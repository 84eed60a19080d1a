"""Tests for the discount and margin analytics."""
