# lackey2din.awk - valgrind lackey text to Dinero IV din text (label 2 fetch, 0 read,
# 1 write; an M is a read then a write), written for the tests without mmusim, so that
# the reader under test never makes its own input.  Usage: awk -f lackey2din.awk FILE
/^==/ { next }
{ split($2, a, ",") }
$1 == "I" { print "2 " a[1] }
$1 == "L" { print "0 " a[1] }
$1 == "S" { print "1 " a[1] }
$1 == "M" { print "0 " a[1]; print "1 " a[1] }
