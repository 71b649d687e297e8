"""Learned components: corpus loading, features, training, cross-validation and the shipped models."""
