# A veth drops a frame longer than its other end's MTU: b's 1428-byte probe leaves in
# fragments of at most 1400 bytes, and a's 1428-byte reply is dropped on its way to vb.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va up
ip -n b link set vb up
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n b link set vb mtu 1400
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec b ping -c 1 -W 1 -s 1400 10.0.0.1
ip netns exec b ping -c 1 -W 1 -s 1376 10.0.0.1
ip netns exec b ping -c 1 -W 1 -s 1377 10.0.0.1
