# iptables -L without -n: names for addresses, ports, ICMP types and the any-address.
# Recorded with /etc/resolv.conf bound to /dev/null (as src/host/sandbox.ts does), so lookups
# go to the sandbox's own lo and fail: names come from /etc/hosts, /etc/networks and
# /etc/services alone.
ip link set lo up
iptables -N web
iptables -A FORWARD -i lo -j ACCEPT
iptables -A FORWARD -s 127.0.0.1 -d 127.0.0.0/8 -j ACCEPT
iptables -A FORWARD -s 10.0.0.1 -p tcp --dport 22 -j ACCEPT
iptables -A FORWARD -s 10.0.0.0/24 -d 192.0.2.0/24 -p tcp --dport 80 -j web
iptables -A FORWARD -p tcp -m multiport --dports 80,443,8080 -j ACCEPT
iptables -A FORWARD -p udp --sport 53 --dport 33434:33534 -j ACCEPT
iptables -A FORWARD -p icmp --icmp-type echo-request -j ACCEPT
iptables -A FORWARD -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A FORWARD -d 169.254.0.0/16 -j DROP
iptables -A FORWARD -p 47 -j DROP
iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A web -p tcp --sport 1024:65535 -j REJECT --reject-with tcp-reset
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o docker0 -j MASQUERADE
iptables -t nat -A PREROUTING -d 192.0.2.10 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
iptables -L
iptables -L FORWARD -v
iptables -L web --line-numbers
iptables -t nat -L
iptables -L FORWARD -x -v -n
iptables -S FORWARD
iptables -L FORWARD 3
iptables -L nosuch
