"""Reliability: crashes, redeliveries, faults and floods, through the real bot and the emulator."""
