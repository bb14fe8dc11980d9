# Shortcuts for those who have make; ./run does the work.
.PHONY: demo test bench
demo:
	./run demo
test:
	./run test
bench:
	./run bench
