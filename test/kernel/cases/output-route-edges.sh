# Output route edges: a loopback source leaves by lo only (EINVAL on another link, and ping
# -I 127.0.0.1 loses its probes), 0.0.0.0 is no source, an own address stays local on a link
# without carrier even with ignore_routes_with_linkdown, and ping -w 0 has no deadline.
ip link set lo up
ip link add va type veth peer name vb
ip addr add 10.1.0.1/24 dev va
ip link set va up
ip link set vb up
ip route get 10.1.0.2 from 127.0.0.1
ip route get 10.1.0.2 from 127.0.0.2
ip route get 127.0.0.1 from 127.0.0.1
ip route get 10.1.0.2 from 0.0.0.0
ip route get 10.1.0.2 from 224.0.0.1
ip route get 10.1.0.2 from 255.255.255.255
ping -c 1 -W 1 -I 127.0.0.1 10.1.0.2
ip link set vb down
sysctl -qw net.ipv4.conf.va.ignore_routes_with_linkdown=1
ip route show
ip route show table local
ip route get 10.1.0.1
ping -c 1 -W 1 10.1.0.1
ip route get 10.1.0.2
ping -c 1 -w 0 127.0.0.1
ping -c 2 -i 0.2 -w 0 127.0.0.1
