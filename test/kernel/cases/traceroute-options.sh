# traceroute option errors and option forms, tracing an address on lo.
ip link set lo up
ip addr add 10.0.9.1/24 dev lo
traceroute -q abc 10.0.9.1
traceroute -m x 10.0.9.1
traceroute -w x 10.0.9.1
traceroute -w 1,x 10.0.9.1
traceroute -w 2,1,1 -n -m 2 10.0.9.1
traceroute -N 0 -n -m 2 10.0.9.1
traceroute -n -m 2 -q
traceroute -n -m 2 10.0.9.1 abc
traceroute -n -m 2 10.0.9.1 60 70
traceroute -n -m 2 -f 3 10.0.9.1
traceroute -nI -m 2 10.0.9.1
traceroute -n -q1 -m2 10.0.9.1
traceroute -n --max-hops=2 10.0.9.1
traceroute -n -m 2 -Q 10.0.9.1
traceroute -n -m 2 -z 1 10.0.9.1
traceroute -n -m 2 -p 5000 10.0.9.1
traceroute -n -m 2 localhost
traceroute -n -m 2 0
traceroute -n -m 2 10.0.9.255
traceroute -n -m 2 -N 300 10.0.9.1
traceroute -n -w 0.5 -m 2 10.0.9.1
traceroute -m 2 10.0.9.1
traceroute -n -m 2 -z 20 10.0.9.1
traceroute -n -m 2 -z -1 10.0.9.1
traceroute -n
traceroute -n -m 2 10.0.9.1 70000
