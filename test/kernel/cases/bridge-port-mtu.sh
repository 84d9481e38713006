# A bridge drops a DF packet larger than the egress port's MTU (br_netfilter's
# br_nf_dev_queue_xmit), and fragments one without DF, such as c's 1428-byte probe and a's reply.
ip netns add a
ip netns add c
ip link add br0 type bridge
ip link add pa type veth peer name eth0 netns a
ip link add pc type veth peer name eth0 netns c
ip link set pa master br0
ip link set pc master br0
ip link set pc mtu 1400
ip -n c link set eth0 mtu 1400
ip link set br0 up
ip link set pa up
ip link set pc up
ip -n a link set eth0 up
ip -n c link set eth0 up
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n c addr add 10.0.0.3/24 dev eth0
ip link show br0
ip netns exec a ping -c 1 -W 1 10.0.0.3
ip netns exec a ping -c 1 -W 1 -s 1400 10.0.0.3
ip netns exec c ping -c 1 -W 1 -s 1400 10.0.0.1
ip netns exec a ping -c 1 -W 1 -s 1372 10.0.0.3
