"""The Excel layer: the workbook port, its xlwings and openpyxl adapters, macros and UDFs.

This is the only package (besides ``perfxl.io``) that touches workbook objects, and the only
one that imports xlwings.
"""
