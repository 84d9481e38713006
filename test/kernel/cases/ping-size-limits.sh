# ping -s beyond 65507: up to an ICMP message of 65,535 bytes the IP packet is too long and ping
# prints a local error with the route's MTU (65535 at most), and beyond that sendmsg fails
# without an error to print. Sizes are checked against INT_MAX.
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ping -c 1 -W 1 -s 65507 127.0.0.1
ping -c 1 -W 1 -s 65508 127.0.0.1
ping -c 1 -W 1 -s 65508 10.0.0.2
ping -c 2 -W 1 -s 70000 127.0.0.1
ping -c 1 -W 1 -s 2147483648 127.0.0.1
ping -c 1 -s -1 127.0.0.1
ping -c 1 -s 99999999999 127.0.0.1
ping -c 1 -s abc 127.0.0.1
ping -c 1 -W 1 -q -s 65508 10.0.0.2
ping -c 1 -W 1 -s 65527 127.0.0.1
ping -c 1 -W 1 -s 65528 127.0.0.1
