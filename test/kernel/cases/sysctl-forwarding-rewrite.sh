# Writing the current forwarding value again leaves a link that was turned off alone; sysctl -w
# echoes the value as given.
ip link add x0 type veth peer name x1
sysctl -w net.ipv4.ip_forward=1
sysctl -w net.ipv4.conf.x0.forwarding=0
sysctl -w net.ipv4.conf.all.forwarding=1
sysctl net.ipv4.conf.x0.forwarding
sysctl -w net.ipv4.ip_forward=1
sysctl net.ipv4.conf.x0.forwarding
sysctl -w net.ipv4.ip_forward=0
sysctl -w net.ipv4.ip_forward=1
sysctl net.ipv4.conf.x0.forwarding
sysctl -w net.ipv4.ip_forward=01
sysctl -w net.ipv4.conf.x1.rp_filter=2
sysctl net.ipv4.ip_forward
