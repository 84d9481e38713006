# When a bridge port or the whole bridge goes down, the bridge deletes the addresses the port
# learned. Local entries stay.
ip link add br0 type bridge
ip link set br0 up
ip netns add n1
ip link add p1 type veth peer name e1
ip link set e1 netns n1
ip -n n1 link set e1 address 02:00:00:00:01:01
ip link set p1 master br0
ip link set p1 up
ip -n n1 link set e1 up
ip -n n1 addr add 10.5.0.1/24 dev e1
ip netns exec n1 ping -c 1 -W 1 10.5.0.2
bridge fdb show br br0 dynamic
ip link set p1 down
bridge fdb show br br0 dynamic
ip link set p1 up
ip netns exec n1 ping -c 1 -W 1 10.5.0.2
bridge fdb show br br0 dynamic
ip link set br0 down
bridge fdb show br br0 dynamic
