# sysctl error texts and exit codes: each operand is handled on its own, so a bad one does not
# stop the next, and every failure exits 1.
sysctl bogus
sysctl bogus net.ipv4.ip_forward=1
sysctl net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=abc
sysctl net.ipv4.ip_forward
sysctl net.ipv4.conf.nosuch.forwarding
sysctl -w net.ipv4.conf.nosuch.forwarding=1
