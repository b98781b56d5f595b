# projects
