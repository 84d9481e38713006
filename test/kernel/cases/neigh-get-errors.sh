# ip neigh get needs a device and an address. Unlike add and del, it has its own error text
# and exit status 1. An entry that does not exist is not found.
ip link add va type veth peer name vb
ip addr add 10.0.0.1/24 dev va
ip link set va up
ip link set vb up
ip neigh add 10.0.0.89 lladdr 02:00:00:00:00:89 dev va
ip neigh get 10.0.0.89 dev va
ip neigh get 10.0.0.89
ip neigh get dev va
ip neigh get 10.0.0.200 dev va
ip neigh add 10.0.0.90 lladdr 02:00:00:00:00:90
