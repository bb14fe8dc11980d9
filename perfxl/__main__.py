from perfxl.cli import console

console()
