# The host on br0 sends a 2028-byte ping in fragments of br0's MTU, which its port takes,
# and a port-to-port ping without DF crosses the bridge with br_netfilter on and off.
ip netns add a
ip link add br0 type bridge
ip link add pa type veth peer name eth0 netns a
ip link set pa master br0
ip link set br0 up
ip link set pa up
ip -n a link set eth0 up
ip addr add 10.0.0.254/24 dev br0
ip -n a addr add 10.0.0.1/24 dev eth0
ip link show br0
ping -c 1 -W 1 10.0.0.1
ping -c 1 -W 1 -s 2000 10.0.0.1
ping -c 1 -W 1 -M dont -s 1472 10.0.0.1
ip netns exec a ping -c 1 -W 1 -s 2000 10.0.0.254
sysctl -qw net.bridge.bridge-nf-call-iptables=0
ip netns exec a ping -c 1 -W 1 -s 2000 10.0.0.254
ip netns add b
ip link add pb type veth peer name eth0 netns b
ip link set pb master br0
ip link set pb up
ip -n b link set eth0 up
ip -n b addr add 10.0.0.2/24 dev eth0
ip netns exec a ping -c 1 -W 1 -s 2000 10.0.0.2
sysctl -qw net.bridge.bridge-nf-call-iptables=1
ip netns exec a ping -c 1 -W 1 -s 2000 10.0.0.2
