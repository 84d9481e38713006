# ping -I ADDR gives the source address, so iputils skips its trial connect(): with no route it
# prints its header, each probe's sendmsg() fails silently, and the probe counts as sent.
ip netns add a
ip link add a0 netns a type veth peer name ra
ip link set ra up
ip -n a addr add 10.1.0.2/24 dev a0
ip -n a addr add 10.1.0.3/24 dev a0
ip -n a link set a0 up
ip -n a route add unreachable 203.0.113.66
ip netns exec a ping -c 1 -W 1 203.0.113.66
ip netns exec a ping -c 1 -W 1 -I 10.1.0.3 203.0.113.66
ip netns exec a ping -c 1 -W 1 -I 10.1.0.3 198.51.100.1
ip netns exec a ping -c 2 -i 0.2 -W 1 -I 10.1.0.3 198.51.100.1
ip netns exec a ping -c 1 -W 1 -I a0 198.51.100.1
ip netns exec a ping -c 1 -W 1 -I 10.1.0.9 198.51.100.1
ip -n a route get 203.0.113.66 from 10.1.0.3
