"""Durable background jobs behind one port (`JobBackend`), with an embedded and a distributed adapter."""
