# Names Linux does not have get "cannot stat" and the other operands still run. A failed
# write ORs 1 into the exit status, a failed read adds 1. Per-link names need the link.
sysctl net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=1 net.ipv4.bogus=1 net.ipv4.conf.all.rp_filter=1
sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter
sysctl net.ipv4.conf.all.bogus net.ipv4.conf.nosuch.rp_filter net.core.bogus
sysctl -w net.ipv4.conf.nosuch.rp_filter=1
sysctl net.ipv4.neigh.lo.bogus net.bridge.bogus
sysctl net.ipv4.bogus net.ipv4.bogus2=1 net.ipv4.bogus3 net.ipv4.bogus4=1
sysctl net.ipv4.ip_forward=x net.ipv4.bogus
sysctl -w net.ipv4.bogus noeq net.ipv4.bogus2=1
