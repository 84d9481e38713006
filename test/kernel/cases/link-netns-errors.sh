# Error paths of ip link, ip -n, ip netns exec and table names. lo and bridges cannot change
# namespace. ip netns exec checks for a command before it opens the namespace, and runs the
# program without a shell. An unnamed veth or bridge gets the first free veth%d or bridge%d name,
# a veth's peer first.
ip netns add a
ip link add br0 type bridge
ip link set lo netns a
ip link set br0 netns a
ip link set
ip link set up
ip link add
ip link add type veth
ip -n
ip netns exec
ip netns exec nosuch
ip netns exec a nosuchcmd
ip netns exec a nosuchcmd arg
ip route show table nosuch
ip route flush table nosuch
ip route add 10.0.0.0/8 dev lo table nosuch
ip link add type veth
ip link add type veth peer name p0
ip link add type bridge
ip link add type bridge
ip link show
