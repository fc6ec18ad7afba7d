"""Signed webhook deliveries (Standard Webhooks) with retries over about three days."""
