# Unknown subcommands of each ip object, and the exit status iproute2's dispatchers give them.
ip addr shwo
ip link sett v1 up
ip route flsh
ip neigh shwo
ip rule lst
ip netns lsit
ip addr
ip link lst
ip route lst
ip neigh lst
